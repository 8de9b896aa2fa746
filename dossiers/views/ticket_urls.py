"""Routes of the queue: the public kiosk, slip and display, the clerk's counter, the supervisor's report."""

from django.urls import path

from . import counter, kiosk, ticket_report

urlpatterns = [
    path("kiosk/<str:agency_code>/", kiosk.kiosk, name="kiosk"),
    path("so-thu-tu/<str:token>/", kiosk.ticket_status, name="ticket-status"),
    path("so-thu-tu/<str:token>/trang-thai/", kiosk.ticket_status_fragment, name="ticket-status-fragment"),
    path("hien-thi/<str:agency_code>/", kiosk.display, name="display"),
    path("hien-thi/<str:agency_code>/bang/", kiosk.display_board, name="display-board"),
    path("desk/quay/", counter.counter_list, name="counter-list"),
    path("desk/quay/<int:counter_id>/", counter.counter_page, name="counter-page"),
    *[
        path(
            f"desk/quay/<int:counter_id>/{slug}/",
            counter.counter_operation,
            {"operation": operation},
            name=f"counter-{operation.replace('_', '-')}",
        )
        for operation, slug in counter.SLUGS.items()
    ],
    path("dashboard/so-thu-tu/", ticket_report.ticket_report, name="ticket-report"),
]
