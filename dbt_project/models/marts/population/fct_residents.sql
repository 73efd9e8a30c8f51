-- One row per person record of the register snapshot, as of var('as_of_date'): living and dead records,
-- copies included and flagged. `is_counted_resident` rows are the population_records_digitised figure (also
-- fct_residents_counted). The age on the as-of date and its five-year band (seed population_age_bands),
-- unless a rule on the date of birth fails (age_excluded_by_rule).
{% set as_of = as_of_date() %}

with
    residents as (
        select *
        from {{ ref('int_residents_flagged') }}
        -- one row per record id: the repeats of an id (rule population.record_id_duplicated) stay in dq.*
        where not is_repeated_record_id
    ),

    households as (select * from {{ ref('dim_household') }}),

    admin_units as (select * from {{ ref('dim_admin_unit') }}),

    dates as (select * from {{ ref('dim_date') }}),

    age_bands as (select * from {{ ref('population_age_bands') }}),

    final as (
        select
            cast(row_number() over (order by r.record_id) as integer) as resident_key,
            r.record_id,
            r.person_pseudonym,
            coalesce(h.household_key, -1) as household_key,
            coalesce(u.admin_unit_key, -1) as admin_unit_key,
            coalesce(snap.date_key, -1) as snapshot_date_key,
            coalesce(upd.date_key, -1) as updated_date_key,
            r.birth_year,
            r.age_on_as_of,
            b.age_band,
            r.age_excluded_by_rule,
            r.sex,
            r.ethnic_code,
            r.relation_to_head,
            r.is_living,
            r.is_duplicate_copy,
            r.is_dead_still_active,
            r.is_counted_resident,
            r.is_citizen_id_well_formed as is_id_structure_valid,
            r.is_household_without_head,
            r.quality_rules_failed
        from residents as r
        left join households as h on h.household_id = r.household_id
        left join
            admin_units as u
            on u.unit_code = r.commune_code
            and u.unit_level = 'commune'
            and {{ admin_unit_valid_on('u', as_of) }}
        left join dates as snap on snap.date_day = {{ as_of }}
        left join dates as upd on upd.date_day = r.updated_on
        left join age_bands as b on r.age_on_as_of between b.age_from and b.age_to
    )

select *
from final
