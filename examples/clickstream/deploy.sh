#!/usr/bin/env bash
# Deploys the clickstream example into a running Lambkin (or any Lambda-compatible endpoint) with
# the AWS CLI:  LAMBKIN_URL=http://127.0.0.1:4566 ./deploy.sh
# WINDOW_SECONDS (default 60) is the aggregation's tumbling window.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
endpoint="${LAMBKIN_URL:-http://127.0.0.1:4566}"
window="${WINDOW_SECONDS:-60}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_PAGER=""
aws() { command aws --endpoint-url "$endpoint" --output json "$@"; }
account="${AWS_ACCOUNT_ID:-000000000000}"
role="arn:aws:iam::${account}:role/clickstream-example"

# 1. Package the function (the AWS SDK comes from the runtime).
build="$here/build"
rm -rf "$build" && mkdir -p "$build"
(cd "$here/aggregate" && python3 -m zipfile -c "$build/aggregate.zip" index.mjs)

# 2. The click stream, the totals table and the queue for records the function cannot take.
aws kinesis create-stream --stream-name clicks --shard-count 1
aws kinesis wait stream-exists --stream-name clicks
stream_arn="$(aws kinesis describe-stream-summary --stream-name clicks --query StreamDescriptionSummary.StreamARN --output text)"
aws dynamodb create-table --table-name page-totals --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=page,AttributeType=S AttributeName=windowStart,AttributeType=S \
  --key-schema AttributeName=page,KeyType=HASH AttributeName=windowStart,KeyType=RANGE >/dev/null
aws dynamodb wait table-exists --table-name page-totals
failures_url="$(aws sqs create-queue --queue-name click-failures --query QueueUrl --output text)"
failures_arn="$(aws sqs get-queue-attributes --queue-url "$failures_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)"

# 3. The aggregation, fed by the stream: a tumbling window, bisection on error, failures to SQS.
aws lambda create-function --function-name aggregate-clicks --runtime nodejs22.x --handler index.handler \
  --role "$role" --timeout 30 --zip-file "fileb://$build/aggregate.zip" \
  --environment "Variables={TOTALS_TABLE=page-totals}" >/dev/null
aws lambda wait function-active-v2 --function-name aggregate-clicks
aws lambda create-event-source-mapping --function-name aggregate-clicks --event-source-arn "$stream_arn" \
  --starting-position TRIM_HORIZON --batch-size 100 --tumbling-window-in-seconds "$window" \
  --bisect-batch-on-function-error --maximum-retry-attempts 2 \
  --destination-config "{\"OnFailure\":{\"Destination\":\"$failures_arn\"}}" >/dev/null

echo "deployed: put clicks with  LAMBKIN_URL=$endpoint node $here/producer.mjs --count 200 --poison"
