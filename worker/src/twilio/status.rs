//! Message status order. Twilio's callbacks can arrive out of order, so the current status only
//! ever moves forward along the lifecycle (Twilio's "Outbound Message Status in Status
//! Callbacks"): accepted/scheduled -> queued -> sending -> sent -> delivered | undelivered |
//! failed (terminal outcomes, same rank: the first to arrive wins) -> read.

/// The rank of a status; `None` for values Twilio may add later (recorded, never current).
pub fn rank(status: &str) -> Option<i32> {
    Some(match status {
        "accepted" | "scheduled" => 0,
        "queued" => 1,
        "sending" => 2,
        "sent" => 3,
        "receiving" => 3,
        "received" => 4,
        "delivered" | "undelivered" | "failed" | "canceled" | "partially_delivered" => 4,
        "read" => 5,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule `store::status` applies in SQL (`WHERE excluded.status_rank > status_rank`, and
    /// no row for unranked values), restated here to test the ranks.
    fn advances(current: Option<&str>, new: &str) -> bool {
        match (current.and_then(rank), rank(new)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(c), Some(n)) => n > c,
        }
    }

    #[test]
    fn never_moves_backwards() {
        let arrivals = ["sent", "queued", "delivered", "sending", "read", "sent"];
        let mut current: Option<&str> = None;
        for s in arrivals {
            if advances(current, s) {
                current = Some(s);
            }
        }
        assert_eq!(current, Some("read"));
    }

    #[test]
    fn terminal_outcomes_do_not_replace_each_other() {
        assert!(!advances(Some("delivered"), "undelivered"));
        assert!(!advances(Some("failed"), "delivered"));
        assert!(advances(Some("delivered"), "read"));
        assert!(advances(Some("queued"), "failed"));
    }

    #[test]
    fn unknown_values_never_become_current() {
        assert!(!advances(None, "teleported"));
        assert!(!advances(Some("queued"), "teleported"));
        assert!(advances(Some("teleported"), "queued"));
    }
}
