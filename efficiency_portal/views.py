"""The public home page: a door to every public feature."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html")
