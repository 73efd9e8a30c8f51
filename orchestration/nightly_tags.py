"""The run tags that give a run its days: one partition, or a range of partitions run as one run."""

PARTITION = "dagster/partition"
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
