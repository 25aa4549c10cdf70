from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "helix.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.contrib import admin
        from django.db.models.signals import post_save, pre_save

        from helix.audit.admin import install_history_views
        from helix.audit.registration import register_models
        from helix.audit.signals import apply_acting, write_scope

        register_models()
        pre_save.connect(apply_acting, sender=LogEntry, dispatch_uid="helix-audit-acting")
        post_save.connect(write_scope, sender=LogEntry, dispatch_uid="helix-audit-scope")
        install_history_views(admin.site)
