//! The search line: filters, words, ranking and highlighting.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    let q = alumni::search::Query::parse(line);
    let people = vec![alumni::domain::Person {
        name: "田中 健太".into(),
        reading: "たなか けんた".into(),
        ..Default::default()
    }];
    let index = alumni::search::Index::build(&people);
    let _ = alumni::search::search(&q, &index, &people, 10);
    let _ = alumni::search::highlight(&people[0].name, &q.text);
});
