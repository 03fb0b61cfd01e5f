"""The ingest app stores nothing: it reads documents into drafts, and whoever saves a draft keeps
it (the plan imports live in plans/imports/models.py). Its migrations remain for the history of
the tables it once created."""
