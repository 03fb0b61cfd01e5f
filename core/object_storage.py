"""Files in an S3-compatible bucket (django-storages), journaled like those on disk."""

from __future__ import annotations

from storages.backends.s3 import S3Storage as BucketStorage

from core.storage import JournaledStorage


class S3Storage(JournaledStorage, BucketStorage):
    """Amazon S3, MinIO, Ceph or a provider's object storage, journaled (`core.storage`)."""
