//! The People list's orders: sorting, and keeping them as people are
//! saved, deleted and restored (checked against a full sort), and the
//! selection after a delete.

use super::*;

#[test]
fn people_sort_by_reading_as_a_japanese_reader_expects() {
    let s = state();
    // Latin names (no reading) sort by name, before kana; kana in gojūon order.
    assert_eq!(
        names(&s),
        ["Emma Johnson", "佐藤 美咲", "田中 健太", "山田 太郎"]
    );
}

#[test]
fn sort_cycles_through_joined_left_and_last_contact() {
    let mut s = state();
    update(&mut s, Action::CycleSort);
    assert_eq!(s.sort, Sort::Joined);
    assert_eq!(
        names(&s),
        ["山田 太郎", "田中 健太", "Emma Johnson", "佐藤 美咲"]
    );
    update(&mut s, Action::CycleSort);
    assert_eq!(s.sort, Sort::Left);
    assert_eq!(names(&s)[0], "佐藤 美咲"); // left last
    update(&mut s, Action::CycleSort);
    update(&mut s, Action::CycleSort);
    assert_eq!(s.sort, Sort::Reading);
}

/// After a delete the selection is on the row that took the deleted
/// person's place in the list (the one above at its end), whatever their
/// place in the store; with a search on, too.
#[test]
fn after_a_delete_the_next_row_of_the_list_is_selected() {
    let selected = |s: &State| s.data.people[s.people.current().unwrap()].name.to_string();
    let delete = |s: &mut State| {
        update(s, Action::Delete);
        update(s, Action::Confirm);
    };
    let mut s = state();
    // By reading: Emma Johnson, 佐藤 美咲, 田中 健太, 山田 太郎 (store order 1, 2, 3, 4 is
    // 田中, 佐藤, Emma, 山田).
    let listed = names(&s);
    assert_eq!(
        listed,
        ["Emma Johnson", "佐藤 美咲", "田中 健太", "山田 太郎"]
    );
    s.people.selected = 1;
    delete(&mut s);
    assert!(s.person("p-2").is_none(), "佐藤 was deleted");
    assert_eq!(selected(&s), "田中 健太");
    assert_eq!(names(&s), ["Emma Johnson", "田中 健太", "山田 太郎"]);
    // The last row: the one above it.
    s.people.selected = 2;
    delete(&mut s);
    assert_eq!(selected(&s), "田中 健太");
    // Undo brings 山田 back; a search lists two, the first deleted: the
    // second is selected.
    update(&mut s, Action::Undo);
    update(&mut s, Action::Search);
    typed(&mut s, "ta");
    update(&mut s, Action::Confirm);
    assert_eq!(names(&s).len(), 2, "{:?}", names(&s));
    let second = names(&s)[1].clone();
    s.people.selected = 0;
    delete(&mut s);
    assert_eq!(selected(&s), second);
}

/// A reply is contact: listed by last contact, the guest moves to the end
/// (most recently contacted).
#[test]
fn a_reply_moves_the_guest_in_the_list_by_last_contact() {
    let mut s = state();
    s.data.people[0].last_contacted = Some(d(2020, 1, 1));
    s.data.people[1].last_contacted = Some(d(2024, 1, 1));
    s.sort = Sort::LastContacted;
    s.resort();
    assert_eq!(names(&s)[..2], ["Emma Johnson", "山田 太郎"]);
    update(&mut s, Action::PaneEvents);
    update(&mut s, Action::FocusDetail);
    update(&mut s, Action::SetAccepted);
    assert_eq!(names(&s).last().unwrap(), "Emma Johnson");
    let placed = s.sorted.clone();
    s.resort();
    assert_eq!(s.sorted, placed);
}

/// The orders the store's indexes give are the ones the address book would
/// sort by itself: the People list by reading (ties in roster order), and
/// ids, with pks that have gaps (people deleted) and readings changed by
/// edits. Orders read before a change do not fit, and are not used.
#[test]
fn the_stores_orders_are_the_ones_sorting_in_memory_gives() {
    let mut store = crate::store::Store::open_in_memory().unwrap();
    crate::synth::import_roster(&mut store, 3_000, 5).unwrap();
    let people = store.people().unwrap();
    let tx = store.transaction().unwrap();
    for p in people.iter().step_by(7) {
        tx.delete_person(&p.id).unwrap();
    }
    for (k, p) in people.iter().skip(1).step_by(11).enumerate() {
        let mut p = p.clone();
        // Readings that sort first, last, between, and the same as others.
        p.reading = ["あ", "んん", "たなか", "", "ヤマダ"][k % 5].into();
        tx.upsert_person(&p, false).unwrap();
    }
    let mut late = Person {
        name: "Zoë Ångström".into(),
        ..Default::default()
    };
    tx.upsert_person(&late, false).unwrap();
    tx.commit().unwrap();

    let data = crate::tui::loading::load(&store).unwrap();
    let n = data.people.len();
    assert!(n > 2_000 && n < 3_000, "{n}");
    let orders = store.orders().unwrap();
    let index = Index::build(&data.people);
    let sorted = State::with_index(
        data.clone(),
        index.clone(),
        d(2026, 12, 1),
        Lang::En,
        Settings::default(),
    );
    assert_eq!(orders.by_sort_key.as_ref(), Some(&sorted.sorted));
    assert!(ids::IdIndex::from_sorted(orders.by_id.clone(), &data.people).is_some());
    let given = State::with_orders(
        data.clone(),
        index,
        Some(orders.clone()),
        d(2026, 12, 1),
        Lang::En,
        Settings::default(),
    );
    assert_eq!(given.sorted, sorted.sorted);
    assert_eq!(names(&given), names(&sorted));
    for (i, p) in data.people.iter().enumerate() {
        assert_eq!(given.position_of(&p.id), Some(i));
    }

    // Someone added after the orders were read: they do not fit.
    late.id = String::new().into();
    late.name = "Aaron".into();
    let tx = store.transaction().unwrap();
    tx.upsert_person(&late, false).unwrap();
    tx.commit().unwrap();
    let data = crate::tui::loading::load(&store).unwrap();
    let index = Index::build(&data.people);
    assert!(ids::IdIndex::from_sorted(orders.by_id.clone(), &data.people).is_none());
    let stale = State::with_orders(
        data.clone(),
        index,
        Some(orders),
        d(2026, 12, 1),
        Lang::En,
        Settings::default(),
    );
    assert_eq!(stale.sorted.len(), n + 1);
    for (i, p) in data.people.iter().enumerate() {
        assert_eq!(stale.position_of(&p.id), Some(i));
    }
    assert_eq!(
        store.orders().unwrap().by_sort_key,
        Some(stale.sorted.clone())
    );

    // A sort key emptied by hand (the sqlite3 shell): the list is sorted
    // in memory, the ids still come from the store.
    store
        .connection()
        .execute(
            "UPDATE people SET sort_key = NULL WHERE id = ?1",
            [&data.people[9].id.as_str()],
        )
        .unwrap();
    let orders = store.orders().unwrap();
    assert_eq!(orders.by_sort_key, None);
    let index = Index::build(&data.people);
    let unsorted = State::with_orders(
        data,
        index,
        Some(orders),
        d(2026, 12, 1),
        Lang::En,
        Settings::default(),
    );
    assert_eq!(unsorted.sorted, stale.sorted);
}

/// Saving one person moves only them, to where sorting everyone would put
/// them: in every order, with ties (same readings, no dates), edits and
/// new people.
#[test]
fn a_saved_person_takes_the_place_a_full_sort_gives() {
    let mut rng = fastrand::Rng::with_seed(7);
    let readings = [
        "あ",
        "たなか",
        "たなか けん",
        "",
        "やまだ",
        "タナカ",
        "Émile",
    ];
    let date = |rng: &mut fastrand::Rng| {
        (rng.u8(..4) > 0).then(|| d(rng.i32(1990..2026), rng.u32(1..13), rng.u32(1..29)))
    };
    let random = |rng: &mut fastrand::Rng, i: usize| {
        let mut p = person(
            &format!("p-{i}"),
            &format!("名前{}", rng.u8(..5)),
            "",
            "",
            2000,
        );
        p.reading = readings[rng.usize(..readings.len())].into();
        p.stints[0].joined = date(rng);
        p.stints[0].left = date(rng);
        p.last_contacted = date(rng);
        p
    };
    let people: Vec<Person> = (0..200).map(|i| random(&mut rng, i)).collect();
    let data = Data {
        people,
        ..Default::default()
    };
    let mut s = State::new(data, d(2026, 12, 1), Lang::En);
    let full = |s: &State| {
        let mut order: Vec<u32> = (0..s.data.people.len() as u32).collect();
        order.sort_by_key(|&a| (s.order_key(a as usize), a));
        order
    };
    for sort in [Sort::Reading, Sort::Joined, Sort::Left, Sort::LastContacted] {
        s.sort = sort;
        s.resort();
        assert_eq!(s.sorted, full(&s), "{sort:?}");
        for step in 0..80 {
            let slot = if step % 10 == 9 {
                let n = s.data.people.len();
                let p = random(&mut rng, n);
                s.data.people.push(p);
                n
            } else {
                let slot = rng.usize(..s.data.people.len());
                s.data.people[slot] = random(&mut rng, slot);
                slot
            };
            s.place(slot);
            assert_eq!(s.sorted, full(&s), "{sort:?}, step {step}");
            assert_rank_inverts(&s, &format!("{sort:?}, step {step}"));
        }
    }
    // And the whole list shows them so.
    assert_eq!(s.people.rows, s.sorted);
}

/// The kept rank (asked for before each change, so a stale one would show)
/// says where each person is in the People order.
fn assert_rank_inverts(s: &State, what: &str) {
    let rank = s.sorted_rank();
    assert_eq!(rank.len(), s.sorted.len(), "{what}");
    for (k, &p) in s.sorted.iter().enumerate() {
        assert_eq!(rank[p as usize] as usize, k, "{what}");
    }
}

/// Deleting someone and undoing it keeps the list's order and the ids'
/// lookup as rebuilding them from the people would, in every order.
#[test]
fn delete_and_undo_keep_the_orders_a_rebuild_gives() {
    let mut rng = fastrand::Rng::with_seed(11);
    let people: Vec<Person> = (0..120)
        .map(|i| {
            let mut p = person(
                &format!("p-{i}"),
                &format!("名前{}", i % 7),
                "",
                "",
                1995 + i as i32 % 20,
            );
            p.reading = ["たなか", "あ", "", "やまだ"][i % 4].into();
            p.last_contacted = (i % 3 > 0).then(|| d(2020, 1 + (i % 12) as u32, 1));
            p
        })
        .collect();
    let data = Data {
        people,
        ..Default::default()
    };
    let mut s = State::new(data, d(2026, 12, 1), Lang::En);
    let rebuilt = |s: &State| {
        let mut fresh = State::new(s.data.clone(), d(2026, 12, 1), Lang::En);
        fresh.sort = s.sort;
        fresh.resort();
        fresh.sorted
    };
    for (round, sort) in [Sort::Reading, Sort::Joined, Sort::Left, Sort::LastContacted]
        .into_iter()
        .cycle()
        .take(12)
        .enumerate()
    {
        s.sort = sort;
        s.resort();
        let slot = rng.usize(..s.data.people.len());
        s.people.select_record(slot);
        update(&mut s, Action::Delete);
        update(&mut s, Action::Confirm);
        assert_eq!(s.sorted, rebuilt(&s), "round {round}, after the delete");
        assert_rank_inverts(&s, &format!("round {round}, after the delete"));
        for (i, p) in s.data.people.iter().enumerate() {
            assert_eq!(s.position_of(&p.id), Some(i));
        }
        if round % 3 != 2 {
            update(&mut s, Action::Undo);
            assert_eq!(s.sorted, rebuilt(&s), "round {round}, after the undo");
            assert_rank_inverts(&s, &format!("round {round}, after the undo"));
            for (i, p) in s.data.people.iter().enumerate() {
                assert_eq!(s.position_of(&p.id), Some(i));
            }
        }
    }
    assert_eq!(s.data.people.len(), 120 - 4);
}
