"""The Wagtail admin pages where editors and coordinators assign and remove facilitators
(``/admin/facilitazioni/``): forms, views and URLs. The writes are
``consultations.services.facilitation_grant`` / ``facilitation_revoke``."""
