"""SQS pollers that hand the real queue messages to the app's @on_sqs_message
handlers, as the Lambda event source mapping does in the cloud; timers that run the
app's @schedule handlers, as EventBridge does."""
import os
import threading

from chalicelib.observability import logger


def start_sqs_workers(app, stopping: threading.Event) -> list[threading.Thread]:
    from chalice.app import SQSEventConfig

    threads = []
    for source in app.event_sources:
        if isinstance(source, SQSEventConfig):
            thread = threading.Thread(target=_poll, args=(app, source, stopping), name=f"sqs-{source.name}",
                                      daemon=True)
            thread.start()
            threads.append(thread)
    return threads


def _poll(app, source, stopping: threading.Event) -> None:
    from chalice.local import LambdaContext

    from chalicelib import aws

    sqs = aws.client("sqs")
    queue_url = sqs.get_queue_url(QueueName=source.queue)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    handler = app.handler_map[source.name]
    while not stopping.is_set():
        try:
            answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=source.batch_size or 10,
                                         WaitTimeSeconds=1, AttributeNames=["All"], MessageAttributeNames=["All"])
        except Exception:
            if stopping.is_set():
                return
            logger.exception("receive_message failed", extra={"queue": source.queue})
            stopping.wait(1)
            continue
        messages = answer.get("Messages", [])
        if not messages:
            continue
        event = {"Records": [_lambda_record(message, queue_arn) for message in messages]}
        try:
            result = handler(event, LambdaContext(source.name, memory_size=3008, max_runtime_ms=900_000))
        except Exception:
            # The whole batch failed: leave it for redelivery (and the DLQ after maxReceiveCount).
            logger.exception("SQS handler failed", extra={"queue": source.queue})
            continue
        failed = {item["itemIdentifier"] for item in (result or {}).get("batchItemFailures", [])}
        done = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages) if m["MessageId"] not in failed]
        if done:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=done)


def _lambda_record(message: dict, queue_arn: str) -> dict:
    return {
        "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"], "body": message["Body"],
        "attributes": message.get("Attributes", {}), "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody"), "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3],
    }


# The cloud runs the schedules at their rate (minutes); a local stack is short-lived and
# runs them every LOCAL_SCHEDULE_SECONDS instead.
LOCAL_SCHEDULE_SECONDS = 60.0


def start_schedules(app, stopping: threading.Event) -> list[threading.Thread]:
    from chalice.app import ScheduledEventConfig

    interval = float(os.environ.get("LOCAL_SCHEDULE_SECONDS") or LOCAL_SCHEDULE_SECONDS)
    threads = []
    for source in app.event_sources:
        if isinstance(source, ScheduledEventConfig):
            thread = threading.Thread(target=_every, args=(app, source, interval, stopping),
                                      name=f"schedule-{source.name}", daemon=True)
            thread.start()
            threads.append(thread)
    return threads


def _every(app, source, interval: float, stopping: threading.Event) -> None:
    from chalice.local import LambdaContext

    handler = app.handler_map[source.name]
    # EventBridge's scheduled event, as the handler receives it in the cloud.
    event = {"version": "0", "id": "local", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": "", "region": os.environ.get("AWS_REGION", "us-east-1"),
             "resources": [f"local-schedule/{source.name}"], "detail": {}}
    while not stopping.wait(interval):
        try:
            handler(event, LambdaContext(source.name, memory_size=512, max_runtime_ms=300_000))
        except Exception:
            logger.exception("scheduled handler failed", extra={"schedule": source.name})
