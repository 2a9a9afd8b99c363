/** Limits and thresholds of storing messages. */
export interface AppendSettings {
  /** Bodies larger than this go to GridFS (bytes). */
  largeBodyThreshold: number;
  /** Largest message accepted (bytes). */
  maxMessageSize: number;
  /** Inline body bytes one message document may hold; later bodies go to GridFS even when small. */
  maxInlineBytes: number;
}

/** Defaults: 128 KiB bodies stay inline, 64 MiB messages at most, documents well under the 16 MiB BSON limit. */
export const DEFAULT_APPEND_SETTINGS: AppendSettings = {
  largeBodyThreshold: 128 * 1024,
  maxMessageSize: 64 * 1024 * 1024,
  maxInlineBytes: 4 * 1024 * 1024,
};
