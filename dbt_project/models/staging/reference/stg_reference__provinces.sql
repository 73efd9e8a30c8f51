with source as (select * from {{ source('reference', 'provinces') }}), renamed as (select * from source)

select *
from renamed
