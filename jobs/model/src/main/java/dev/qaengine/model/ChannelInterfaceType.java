package dev.qaengine.model;

/** The kinds of channel interface a workspace configures (SEMANTICS.md § Channels, CONTRACTS.md §3-5). */
public enum ChannelInterfaceType {
    /** A third-party SMS platform (CONTRACTS.md §4). */
    SMS,
    /** A third-party email platform (CONTRACTS.md §4). */
    EMAIL,
    /** A custom webhook (CONTRACTS.md §3). */
    WEBHOOK,
    /** App push through Umeng. */
    PUSH,
    /** A WeChat official account. */
    WECHAT,
    /** A Kafka topic that audience pushes and KAFKA_PUSH nodes write to (CONTRACTS.md §5). */
    KAFKA
}
