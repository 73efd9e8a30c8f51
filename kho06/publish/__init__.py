"""The published warehouse: what analysts open, copied out of the build database and swapped into place."""

from kho06.publish.warehouse import PUBLISHED_SCHEMAS, PublishError, PublishResult, publish

__all__ = ["PUBLISHED_SCHEMAS", "PublishError", "PublishResult", "publish"]
