"""The product's URLs plus a floor page: logged in, base layout, nothing else."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path


@login_required
def floor(request):
    return render(request, "base.html")


urlpatterns = [path("__floor__/", floor, name="bench_floor"), path("", include("cchc.urls"))]
