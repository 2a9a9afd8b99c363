/** Largest page a list may be asked for (GraphQL `first`, `last`, `limit`; REST `first`). */
export const MAX_PAGE_SIZE = 200;
