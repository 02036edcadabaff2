from django.urls import path

from bokbro.classsets.views import basket, catalogue_file, public, staff

app_name = "classsets"

urlpatterns = [
    # Public pages: the catalogue, booking, and the booking's personal link
    path("", public.catalogue, name="catalogue"),
    path("<int:pk>/", public.title_detail, name="title"),
    path("<int:pk>/cover/", public.title_cover, name="cover"),
    path("<int:pk>/book/", public.book, name="book"),
    path("<int:pk>/basket/", basket.basket_add, name="basket_add"),
    path("basket/", basket.basket, name="basket"),
    path("basket/<str:token>/", basket.basket_booking, name="basket_booking"),
    path("basket/<str:token>/confirm/", basket.basket_confirm, name="basket_confirm"),
    path("basket/<str:token>/cancel/", basket.basket_cancel, name="basket_cancel"),
    path("booking/<str:token>/", public.booking, name="booking"),
    path("booking/<str:token>/confirm/", public.booking_confirm, name="booking_confirm"),
    path("booking/<str:token>/cancel/", public.booking_cancel, name="booking_cancel"),
    path("booking/<str:token>/renew/", public.booking_renew, name="booking_renew"),
    path("queue/<str:token>/", public.queue_entry, name="queue_entry"),
    path("queue/<str:token>/leave/", public.queue_leave, name="queue_leave"),
    # The agency's team: the catalogue
    path("staff/titles/", staff.titles, name="staff_titles"),
    path("staff/titles/new/", staff.title_create, name="title_create"),
    path("staff/titles/<int:pk>/", staff.title_edit, name="title_edit"),
    path("staff/titles/<int:pk>/sets/new/", staff.set_add, name="set_add"),
    path("staff/titles/<int:pk>/sets/<int:set_pk>/", staff.set_edit, name="set_edit"),
    path("staff/titles/import/", catalogue_file.catalogue_import, name="catalogue_import"),
    path("staff/titles/export/", catalogue_file.catalogue_export, name="catalogue_export"),
    path("staff/themes/", staff.themes, name="themes"),
    path("staff/rules/", staff.rules, name="rules"),
    path("staff/routes/", staff.routes, name="routes"),
    path("staff/routes/<int:pk>/", staff.route_edit, name="route_edit"),
    path("staff/routes/<int:pk>/delete/", staff.route_delete, name="route_delete"),
    path("staff/rules/holidays/<int:pk>/delete/", staff.holiday_delete, name="holiday_delete"),
    # The team and the main libraries' staff: bookings, dispatch and return
    path("staff/bookings/", staff.bookings, name="bookings"),
    path("staff/dispatch/", staff.dispatch, name="dispatch"),
    path("staff/dispatch/packing-slips.pdf", staff.packing_slips, name="packing_slips"),
    path("staff/bookings/<int:pk>/packing-slip.pdf", staff.packing_slip, name="packing_slip"),
    path("staff/bookings/<int:pk>/out/", staff.check_out, name="check_out"),
    path("staff/bookings/<int:pk>/in/", staff.check_in, name="check_in"),
]
