"""URLs of referrals and the offers directory."""

from django.urls import path

import lotse.web.converters  # noqa: F401  (registers <id:…>)
from lotse.web.views import offers, referrals

urlpatterns = [
    path("cases/<id:case_id>/referrals/new/", referrals.referral_new_view, name="referral-new"),
    path("referrals/", referrals.referral_inbox_view, name="referral-inbox"),
    path("referrals/sent/", referrals.referral_outbox_view, name="referral-outbox"),
    path("referrals/<id:referral_id>/", referrals.referral_detail_view, name="referral-detail"),
    path("referrals/<id:referral_id>/accept/", referrals.referral_accept_view, name="referral-accept"),
    path("referrals/<id:referral_id>/decline/", referrals.referral_decline_view, name="referral-decline"),
    path("referrals/<id:referral_id>/done/", referrals.referral_done_view, name="referral-done"),
    path("referrals/<id:referral_id>/withdraw/", referrals.referral_withdraw_view, name="referral-withdraw"),
    path("offers/", offers.offer_list_view, name="offers"),
    path("offers/new/", offers.offer_edit_view, name="offer-create"),
    path("offers/<id:offer_id>/", offers.offer_edit_view, name="offer-edit"),
]
