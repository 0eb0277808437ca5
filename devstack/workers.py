"""SQS pollers that hand the real queue messages to the app's @on_sqs_message
handlers, as the Lambda event source mapping does in the cloud."""
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
