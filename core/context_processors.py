from .roles import is_program_staff


def roles(request):
    user = getattr(request, "user", None)
    return {"is_program_staff": bool(user) and is_program_staff(user)}
