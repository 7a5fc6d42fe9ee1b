"""Change events: CloudEvents over NATS JetStream.

envelope   ChangeEvent (subject, ce-* headers, deterministic ce-id) and build_change_event
payloads   ce-type → deskbridge.v1 <Resource>Event message class, decoding
stream     StreamSettings, ensure_streams, ensure_kv
outbox     the durable on-disk outbox for events NATS could not take yet
publisher  EventPublisher: publish with retries, outbox fallback, background drain
consumer   consume(): durable pull consumer helper with dead-lettering
tail       `deskbridge events tail`
"""
