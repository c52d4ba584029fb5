from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "lotse.referrals"
    label = "referrals"
