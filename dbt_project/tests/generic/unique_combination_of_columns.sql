{#- The combination of columns is unique (the model's grain). NULL never makes a row pass: two rows with the same
    values, nulls included, are duplicates (a null is grouped like any other value). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as n
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
