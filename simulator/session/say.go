package session

import (
	"fmt"
	"strings"
	"time"

	"synclab/lang"
)

// What an expectation wanted and saw is said in both languages (lang.Say):
// the checks show it to students in theirs. These helpers say the things
// the expectations count and list.

// count says n things in both languages: count(2, "record", "records",
// "Eintrag", "Einträge") is "2 records" and "2 Einträge".
func count(n int, en1, enN, de1, deN string) lang.Text {
	if n == 1 {
		return lang.Text{EN: "1 " + en1, DE: "1 " + de1}
	}
	return lang.Text{EN: fmt.Sprintf("%d %s", n, enN), DE: fmt.Sprintf("%d %s", n, deN)}
}

// The things the expectations count.
func nRecords(n int) lang.Text { return count(n, "record", "records", "Eintrag", "Einträge") }
func nPosts(n int) lang.Text   { return count(n, "post", "posts", "Beitrag", "Beiträge") }
func nTimes(n int) lang.Text   { return count(n, "time", "times", "Mal", "Mal") }
func nCards(n int) lang.Text   { return count(n, "card", "cards", "Karte", "Karten") }
func nPostRequests(n int) lang.Text {
	return count(n, "POST /posts", "POST /posts requests", "POST /posts", "POST-Anfragen an /posts")
}

// listOrNone lists items, or says "none".
func listOrNone(items []string) lang.Text {
	if len(items) == 0 {
		return lang.Text{EN: "none", DE: "keine"}
	}
	return lang.Same(strings.Join(items, ", "))
}

// seconds says d in seconds with one decimal: "2.5 s", German "2,5 s".
func seconds(d time.Duration) lang.Text {
	s := fmt.Sprintf("%.1f s", d.Seconds())
	return lang.Text{EN: s, DE: strings.Replace(s, ".", ",", 1)}
}

// duration says d as Go does ("2.7s"), German with a decimal comma.
func duration(d time.Duration) lang.Text {
	s := d.String()
	return lang.Text{EN: s, DE: strings.Replace(s, ".", ",", 1)}
}
