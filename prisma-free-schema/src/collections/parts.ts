import type { CollectionSpec } from '../types.js';

/** GridFS bucket name for message bodies and attachments above the inline threshold. */
export const PARTS_BUCKET = 'parts';

/** GridFS files of the parts bucket: content hash (unique, for deduplication) and reference count. */
export const partFiles: CollectionSpec = {
  name: `${PARTS_BUCKET}.files`,
  description:
    'GridFS file documents of stored parts: SHA-256 in metadata.hash (the reference), metadata.refs references',
  indexes: [
    // the index GridFS drivers expect on every files collection
    { name: 'filename_1_uploadDate_1', key: { filename: 1, uploadDate: 1 } },
    { name: 'metadata_hash_unique', key: { 'metadata.hash': 1 }, unique: true },
  ],
};

/** GridFS chunks of the parts bucket. */
export const partChunks: CollectionSpec = {
  name: `${PARTS_BUCKET}.chunks`,
  description: 'GridFS chunks of stored parts',
  indexes: [{ name: 'files_id_1_n_1', key: { files_id: 1, n: 1 }, unique: true }],
};
