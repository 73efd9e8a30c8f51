-- One row per snapshot record with what the population rules (checks/population) say of it, in the terms the
-- marts use: a later copy of a person or of a record id is not counted, neither is a living record whose
-- person has a death registration. `is_counted_resident` is what population_records_digitised counts. The age
-- on the as-of date is the check model's, kept only when no rule on the date of birth fails
-- (age_excluded_by_rule names the first that does).
with checked as (select * from {{ ref('chk_population__residents') }})

select
    record_id,
    person_pseudonym,
    head_pseudonym,
    household_id,
    relation_to_head,
    commune_code,
    birth_year,
    sex,
    ethnic_code,
    status,
    is_living,
    updated_on,
    is_citizen_id_well_formed,
    case
        when not is_living
        then null
        when coalesce(birth_date_missing, false)
        then 'population.birth_date_missing'
        when coalesce(birth_date_after_as_of, false)
        then 'population.birth_date_after_as_of'
        when coalesce(birth_date_before_1900, false)
        then 'population.birth_date_before_1900'
        when coalesce(birth_date_after_update, false)
        then 'population.birth_date_after_update'
        when coalesce(living_aged_over_110, false)
        then 'population.living_aged_over_110'
    end as age_excluded_by_rule,
    case
        when
            is_living
            and not coalesce(birth_date_missing, false)
            and not coalesce(birth_date_after_as_of, false)
            and not coalesce(birth_date_before_1900, false)
            and not coalesce(birth_date_after_update, false)
            and not coalesce(living_aged_over_110, false)
        then cast(age_on_as_of as integer)
    end as age_on_as_of,
    coalesce(duplicate_record, false) or coalesce(record_id_duplicated, false) as is_duplicate_copy,
    coalesce(record_id_duplicated, false) as is_repeated_record_id,
    coalesce(dead_still_active, false) as is_dead_still_active,
    coalesce(household_without_head, false) as is_household_without_head,
    is_living
    and not coalesce(duplicate_record, false)
    and not coalesce(record_id_duplicated, false)
    and not coalesce(dead_still_active, false) as is_counted_resident,
    {{ quality_rules_failed('chk_population__residents', 'checked') }} as quality_rules_failed,
    _source_file,
    _source_row
from checked
