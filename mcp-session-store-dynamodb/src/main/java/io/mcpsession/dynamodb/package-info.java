/**
 * The DynamoDB session store: single-item conditional writes, queries on a partition and sort key and TTL
 * attributes only, so that it runs on every DynamoDB-compatible server (no transactions, no Streams).
 */
@NullMarked
package io.mcpsession.dynamodb;

import org.jspecify.annotations.NullMarked;
