"""A new consultation from a template, in the Wagtail admin
(``/admin/consultazioni/nuova/<parent id>/``): form, view and URL. The write is
``consultations.services.consultation_from_template``."""
