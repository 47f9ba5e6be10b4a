"""The web service: the FastAPI app, its JSON API and HTML pages over one set of use cases,
storage (SQLAlchemy, Alembic migrations), accounts, the instruction workflow and uploads.

- app: builds the app (settings, middleware, lifespan, error handlers) and mounts the rest;
- api: the JSON routes under /api;
- pages: the dossier pages (list, new dossier, a dossier and its forms, report files);
- session_pages: login and logout pages, and what every page and form checks first (session, CSRF);
- templating: the Jinja2 templates, labels, security headers and error pages;
- report_view: a stored report as the dossier page shows it;
- comparison_pages: two versions of a dossier compared on a page (gaps closed, opened, changed);
- ort_pages: the ORT commerce question for the DDT (a point clicked on the map of the ORT secteurs or
  typed, the answer in words: engine.ort_commerce);
- usecases: what the API and the pages both do, written once: who may see a dossier (the same 404
  for one that does not exist), lists and their filters, submissions, transitions, reports, comparisons,
  logging in;
- annotations: the instruction notes, who writes them and who reads which (a private one: its partner's
  instructeurs and the admins);
- avis, avis_api, avis_pages: experts' opinions asked by e-mail, the expert's page reached by a secret link
  (no account), who reads an opinion (confidential or not; never the town);
- queue, queue_export, queue_pages, queue_api: the instructeurs' queue (file d'instruction): one row per track,
  tabs and counts, sort, search, filters, pages, CSV and XLSX exports;
- suivi: who follows a track (assignment to oneself or a colleague, a conditional update on its revision);
- report_index: a stored report's verdicts and gaps as rows, and the dossier's latest report (the queue's joins);
- storage, accounts, workflow, uploads: the tables, who is who, the states, the files received;
- scratch: where the files received are unpacked, removed on every path (dead services' at start);
- notifications, mail, mail_storage: e-mail notifications (courriels): written to an outbox in the caller's
  transaction from templates/courriels, sent after commit by a background sender (retries, one sender a row);
- drafts, draft_storage, drafts_api: the guided form's drafts (brouillons): use cases, tables, JSON API;
- form_pages, form_items, form_exports: the guided form's pages (steps, an item of a long list on
  its own page, downloads) over instruct.form;
- regles_pages, regles_site: a page per rule (/regles, public) and the same pages as a static site (acv docs);
- migrations, templates, static: Alembic scripts, the pages' Jinja2 templates and stylesheet.

May import: instruct (the common modules), model, referentiel, facts, rules, documents, engine, reports, form.
"""
