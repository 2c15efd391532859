"""Results as open data: the licence, the data dictionary and the DCAT-AP_IT catalogue.

Once a consultation's results are public (``proposals.results.results_are_public``) anyone may
download its tables (CSV, XLSX; JSON through ``/api/``) under the licence in
:mod:`proposals.open_data.licence`; the columns are described in
:mod:`proposals.open_data.dictionary`, and every published dataset has an entry in the
catalogue (:mod:`proposals.open_data.catalogue`) that the national portal (dati.gov.it) can
harvest. Public downloads carry no person's name: the author columns and the comments stay in
the moderators' downloads.
"""
