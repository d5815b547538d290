def survey(request, pk):
    raise NotImplementedError
