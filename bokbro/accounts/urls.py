from django.urls import path

from bokbro.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.me, name="me"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
