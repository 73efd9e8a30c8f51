{{ config(materialized='view') }}
-- The residents the population figures count (population_records_digitised, the commune populations, the
-- coverage figure): the rows of fct_residents with is_counted_resident — living, not a later copy of a person
-- or of a record id, no death registration. Select from here rather than filter fct_residents.
select
    resident_key,
    record_id,
    person_pseudonym,
    household_key,
    admin_unit_key,
    snapshot_date_key,
    updated_date_key,
    birth_year,
    age_on_as_of,
    age_band,
    age_excluded_by_rule,
    sex,
    ethnic_code,
    relation_to_head,
    is_id_structure_valid,
    is_household_without_head,
    quality_rules_failed
from {{ ref('fct_residents') }}
where is_counted_resident
