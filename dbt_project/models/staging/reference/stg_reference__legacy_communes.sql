with source as (select * from {{ source('reference', 'legacy_communes') }}), renamed as (select * from source)

select *
from renamed
