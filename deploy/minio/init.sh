#!/bin/sh
# docker-compose example, one-shot: creates the bucket of uploaded files with versioning on
# (an overwritten or deleted file can be brought back), and the app's own access key limited
# to that bucket.
set -eu
: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${S3_BUCKET:?}" "${S3_ACCESS_KEY_ID:?}" "${S3_SECRET_ACCESS_KEY:?}"
i=0
until mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 60 ] || { echo "minio-init: MinIO never answered" >&2; exit 1; }
  sleep 2
done
mc mb --ignore-existing "local/$S3_BUCKET"
mc version enable "local/$S3_BUCKET"
cat >/tmp/policy.json <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$S3_BUCKET"] },
    { "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::$S3_BUCKET/*"] }
  ]
}
JSON
mc admin policy create local sertifikasi-app /tmp/policy.json
mc admin user add local "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"
mc admin policy attach local sertifikasi-app --user "$S3_ACCESS_KEY_ID" 2>/dev/null || true
echo "minio-init: bucket $S3_BUCKET ready"
