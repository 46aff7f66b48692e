//! The columns of a CSV file: the canonical header and the names HR
//! systems give the same fields (Japanese ones included).

use unicode_normalization::UnicodeNormalization;

/// The columns `export --format csv` writes: the canonical header, then the
/// extra columns needed for a lossless round trip.
pub const CANONICAL: [&str; 17] = [
    "name",
    "reading",
    "nickname",
    "email",
    "phone",
    "department",
    "role",
    "joined",
    "left",
    "company",
    "title",
    "location",
    "tags",
    "notes",
    "consent",
    "closeness",
    "last_contacted",
];
pub const EXTRA: [&str; 4] = ["links", "consent_date", "id", "consent_purpose"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Id,
    Name,
    Reading,
    Nickname,
    Email,
    Phone,
    Link,
    Department,
    Role,
    Joined,
    Left,
    Company,
    Title,
    Location,
    Tags,
    Notes,
    Consent,
    ConsentDate,
    ConsentPurpose,
    Closeness,
    LastContacted,
}

impl Col {
    /// Multi-valued columns may appear several times (`email`, `email2`).
    pub(super) fn repeatable(self) -> bool {
        matches!(self, Col::Email | Col::Phone | Col::Link | Col::Tags)
    }
}

/// Header names, compared after NFKC, lowercasing and dropping spaces, `_`, `-`, `.`.
const ALIASES: &[(Col, &[&str])] = &[
    (Col::Id, &["id", "alumniid"]),
    (
        Col::Name,
        &[
            "name",
            "fullname",
            "displayname",
            "氏名",
            "名前",
            "姓名",
            "お名前",
        ],
    ),
    (
        Col::Reading,
        &[
            "reading",
            "furigana",
            "kana",
            "yomi",
            "phonetic",
            "phoneticname",
            "ふりがな",
            "フリガナ",
            "よみ",
            "よみがな",
            "ヨミ",
            "ヨミガナ",
            "カナ",
            "氏名カナ",
            "氏名(カナ)",
            "氏名(フリガナ)",
        ],
    ),
    (
        Col::Nickname,
        &[
            "nickname",
            "nick",
            "ニックネーム",
            "あだ名",
            "あだな",
            "愛称",
            "呼び名",
        ],
    ),
    (
        Col::Email,
        &[
            "email",
            "mail",
            "emailaddress",
            "mailaddress",
            "emails",
            "メール",
            "メールアドレス",
            "eメール",
            "eメールアドレス",
        ],
    ),
    (
        Col::Phone,
        &[
            "phone",
            "phones",
            "tel",
            "telephone",
            "phonenumber",
            "mobile",
            "電話",
            "電話番号",
            "携帯",
            "携帯電話",
            "携帯番号",
        ],
    ),
    (
        Col::Link,
        &["links", "link", "url", "urls", "sns", "website", "リンク"],
    ),
    (
        Col::Department,
        &[
            "department",
            "dept",
            "division",
            "team",
            "部署",
            "所属部署",
            "所属",
            "部門",
            "部署名",
        ],
    ),
    (
        Col::Role,
        &["role", "position", "jobrole", "役職", "職位", "職種"],
    ),
    (
        Col::Joined,
        &[
            "joined",
            "joindate",
            "joineddate",
            "startdate",
            "start",
            "hiredate",
            "hired",
            "入社日",
            "入社",
            "入社年月日",
        ],
    ),
    (
        Col::Left,
        &[
            "left",
            "leftdate",
            "leavedate",
            "enddate",
            "end",
            "terminationdate",
            "exitdate",
            "退職日",
            "退社日",
            "退職",
            "退職年月日",
        ],
    ),
    (
        Col::Company,
        &[
            "company",
            "currentcompany",
            "employer",
            "organization",
            "organisation",
            "org",
            "現所属",
            "勤務先",
            "現勤務先",
            "会社",
            "会社名",
            "転職先",
        ],
    ),
    (
        Col::Title,
        &[
            "title",
            "currenttitle",
            "jobtitle",
            "肩書",
            "肩書き",
            "現役職",
        ],
    ),
    (
        Col::Location,
        &["location", "city", "address", "所在地", "住所", "居住地"],
    ),
    (Col::Tags, &["tags", "tag", "labels", "categories", "タグ"]),
    (
        Col::Notes,
        &[
            "notes", "note", "memo", "comments", "comment", "備考", "メモ",
        ],
    ),
    (Col::Consent, &["consent", "連絡可否", "連絡同意", "同意"]),
    (Col::ConsentDate, &["consentdate", "同意日"]),
    (
        Col::ConsentPurpose,
        &[
            "consentpurpose",
            "consentfor",
            "同意目的",
            "利用目的",
            "連絡目的",
        ],
    ),
    (Col::Closeness, &["closeness", "関係", "親密度"]),
    (
        Col::LastContacted,
        &[
            "lastcontacted",
            "lastcontact",
            "lastcontactdate",
            "最終連絡日",
            "最終連絡",
        ],
    ),
];

fn normalize_header(h: &str) -> String {
    h.nfkc()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn column_for(header: &str) -> Option<Col> {
    let h = normalize_header(header);
    let find = |h: &str| {
        ALIASES
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalize_header(n) == h))
            .map(|(c, _)| *c)
    };
    find(&h).or_else(|| {
        // `email2`, `電話番号2`: numbered copies of a multi-valued column.
        let base = h.trim_end_matches(|c: char| c.is_ascii_digit());
        (base.len() < h.len())
            .then(|| find(base))
            .flatten()
            .filter(|c| c.repeatable())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_aliases() {
        assert_eq!(column_for("Full Name"), Some(Col::Name));
        assert_eq!(column_for("E-mail"), Some(Col::Email));
        assert_eq!(column_for("メールアドレス2"), Some(Col::Email));
        assert_eq!(column_for("Start Date"), Some(Col::Joined));
        assert_eq!(column_for("ＦＵＬＬ　ＮＡＭＥ"), Some(Col::Name));
        assert_eq!(column_for("last_contacted"), Some(Col::LastContacted));
        assert_eq!(column_for("name2"), None);
        assert_eq!(column_for("favourite colour"), None);
        for c in CANONICAL.iter().chain(&EXTRA) {
            assert!(column_for(c).is_some(), "{c}");
        }
    }
}
