"""Forms of the sourcing pages; the services validate again and own every write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ColleagueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES, initial="es-mx")
