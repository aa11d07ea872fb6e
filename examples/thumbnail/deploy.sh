#!/usr/bin/env bash
# Deploys the thumbnail example into a running Lambkin (or any Lambda-compatible endpoint) with the
# AWS CLI:  LAMBKIN_URL=http://127.0.0.1:4566 ./deploy.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
endpoint="${LAMBKIN_URL:-http://127.0.0.1:4566}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_PAGER=""
aws() { command aws --endpoint-url "$endpoint" --output json "$@"; }
account="${AWS_ACCOUNT_ID:-000000000000}"
role="arn:aws:iam::${account}:role/thumbnail-example"

# 1. Package: sharp for Linux x64 next to the handler; the AWS SDK is provided by the runtime.
build="$here/build"
rm -rf "$build" && mkdir -p "$build"
(cd "$here/thumbnail" && npm install --omit=dev --no-audit --no-fund --os=linux --cpu=x64 --libc=glibc >/dev/null)
(cd "$here/thumbnail" && python3 -m zipfile -c "$build/thumbnail.zip" index.mjs package.json node_modules)
(cd "$here/report" && python3 -m zipfile -c "$build/report.zip" index.mjs)
(cd "$here/counts" && python3 -m zipfile -c "$build/counts.zip" index.mjs)

# 2. Buckets and the metadata queue.
aws s3 mb s3://photos >/dev/null
aws s3 mb s3://photos-thumbnails >/dev/null
aws sqs create-queue --queue-name photo-metadata >/dev/null

# 2b. DynamoDB: a row per photo (its stream, with old and new images, feeds the counts), each
# owner's counts, and the markers of stream records already counted (gone after their TTL).
aws dynamodb create-table --table-name photos --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=key,AttributeType=S --key-schema AttributeName=key,KeyType=HASH \
  --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES >/dev/null
aws dynamodb create-table --table-name photo-owners --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=owner,AttributeType=S --key-schema AttributeName=owner,KeyType=HASH >/dev/null
aws dynamodb create-table --table-name photo-owners-applied --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=eventID,AttributeType=S --key-schema AttributeName=eventID,KeyType=HASH >/dev/null
for table in photos photo-owners photo-owners-applied; do aws dynamodb wait table-exists --table-name "$table"; done
aws dynamodb update-time-to-live --table-name photo-owners-applied \
  --time-to-live-specification Enabled=true,AttributeName=expiresAt >/dev/null
photos_stream_arn="$(aws dynamodb describe-table --table-name photos --query Table.LatestStreamArn --output text)"

# 3. The thumbnail function, allowed to be invoked by S3 for the photos bucket.
aws lambda create-function --function-name thumbnail --runtime nodejs22.x --handler index.handler \
  --role "$role" --memory-size 512 --timeout 30 --zip-file "fileb://$build/thumbnail.zip" >/dev/null
aws lambda wait function-active-v2 --function-name thumbnail
aws lambda add-permission --function-name thumbnail --statement-id s3-photos --action lambda:InvokeFunction \
  --principal s3.amazonaws.com --source-arn arn:aws:s3:::photos --source-account "$account" >/dev/null
thumbnail_arn="$(aws lambda get-function --function-name thumbnail --query Configuration.FunctionArn --output text)"
aws s3api put-bucket-notification-configuration --bucket photos --notification-configuration \
  "{\"LambdaFunctionConfigurations\":[{\"Id\":\"make-thumbnail\",\"LambdaFunctionArn\":\"$thumbnail_arn\",\"Events\":[\"s3:ObjectCreated:*\"]}]}"

# 4. The hourly report, run by an EventBridge cron() rule.
aws lambda create-function --function-name photo-report --runtime nodejs22.x --handler index.handler \
  --role "$role" --timeout 30 --zip-file "fileb://$build/report.zip" >/dev/null
aws lambda wait function-active-v2 --function-name photo-report
rule_arn="$(aws events put-rule --name hourly-photo-report --schedule-expression 'cron(0 * * * ? *)' --query RuleArn --output text)"
aws lambda add-permission --function-name photo-report --statement-id hourly-report --action lambda:InvokeFunction \
  --principal events.amazonaws.com --source-arn "$rule_arn" >/dev/null
report_arn="$(aws lambda get-function --function-name photo-report --query Configuration.FunctionArn --output text)"
aws events put-targets --rule hourly-photo-report --targets "Id=report,Arn=$report_arn" >/dev/null

# 5. The per-owner counts, fed by the photos table's stream. A failing batch is retried (each record
# counts once however often it comes) and split in two until the bad record stands alone.
aws lambda create-function --function-name photo-counts --runtime nodejs22.x --handler index.handler \
  --role "$role" --timeout 30 --zip-file "fileb://$build/counts.zip" >/dev/null
aws lambda wait function-active-v2 --function-name photo-counts
aws lambda create-event-source-mapping --function-name photo-counts --event-source-arn "$photos_stream_arn" \
  --starting-position TRIM_HORIZON --batch-size 100 --maximum-retry-attempts 5 --bisect-batch-on-function-error >/dev/null

echo "deployed: upload an image with  aws --endpoint-url $endpoint s3 cp cat.jpg s3://photos/ --metadata owner=alice"
