with
    source as (select * from {{ source('reference', 'legacy_districts') }}), renamed as (select * from source)

select *
from renamed
