"""The production storage, django-storages' S3 backend, against a real S3-compatible server
started here: moto in server mode on 127.0.0.1 (HTTP, no mock of the client). A document is
uploaded through the service, downloaded through the page, zipped for the right of access,
then purged: its objects leave the bucket."""

from datetime import date, timedelta

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents import services
from households.models import Household
from tests.documents import samples

BUCKET = "logement-documents"
CREDENTIALS = {"aws_access_key_id": "essai", "aws_secret_access_key": "essai-secret"}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3", **CREDENTIALS)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "eu-west-3",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": "private",
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_upload_download_and_delete_against_a_local_s3_server(client, demo, bucket, settings):
    caseworker = demo["caseworker.oiseaubleu"]
    nguyen = Household.objects.get(name="Nguyen")
    [document] = services.document_create(
        household=nguyen,
        by=caseworker,
        uploads=[SimpleUploadedFile("bail signé.pdf", samples.pdf("S3"))],
        kind="lease",
        title="Bail",
        dated_on=date(2026, 1, 5),
    )
    services.document_add_version(
        document=document,
        by=caseworker,
        upload=SimpleUploadedFile("photo.jpg", samples.jpeg_with_location()),
    )
    versions = list(document.versions.order_by("number"))
    assert sorted(keys(bucket)) == sorted(v.stored_as for v in versions)
    head = bucket.head_object(Bucket=BUCKET, Key=versions[0].stored_as)
    assert head["ServerSideEncryption"] == "AES256"  # encrypted at rest
    stored = bucket.get_object(Bucket=BUCKET, Key=versions[0].stored_as)["Body"].read()
    assert stored == samples.pdf("S3")

    client.force_login(caseworker)
    response = client.get(reverse("documents:download_version", args=[document.pk, 1]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf("S3")
    assert response["Content-Disposition"] == 'attachment; filename="bail_signe.pdf"'

    services.document_delete(document=document, by=caseworker)
    assert len(keys(bucket)) == 2  # kept while the deletion can be undone
    settings.DOCUMENTS_DELETED_KEEP_DAYS = 1
    assert services.documents_purge_deleted(timezone.now() + timedelta(days=2)) == 1
    assert keys(bucket) == []
