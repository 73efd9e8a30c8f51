with source as (select * from {{ source('reference', 'province_codes') }}), renamed as (select * from source)

select *
from renamed
