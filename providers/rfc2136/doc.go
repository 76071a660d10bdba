// Package rfc2136 publishes to a DNS server that accepts dynamic updates
// (RFC 2136) signed with TSIG (RFC 8945), such as BIND 9, or with GSS-TSIG
// (RFC 3645, Kerberos), such as Windows DNS in Active Directory and Samba.
//
// The zone is read with a zone transfer (AXFR over TCP, signed when a key is
// configured) and written with UPDATE messages over TCP, signed with the key.
//
// # Secure updates (GSS-TSIG)
//
// With Auth = AuthGSS the provider negotiates one security context with the
// server (TKEY, through github.com/bodgit/tsig: gokrb5 on Linux and macOS,
// SSPI on Windows) on first use and signs every later message with it;
// Close deletes it. The service principal is DNS/<ServerName> (the host of
// Server without one): connect to an address, name the SPN after the DC.
// The first exchange of a context, a signed SOA query, also tells how the
// server signs replies: RFC 8945's layout or Samba's (the request MAC
// without its length prefix); the layout is chosen before any update's
// reply is checked, since checking one reply twice fails as a replay. A
// server known to use Samba's layout is also known not to enforce
// value-dependent prerequisites: there ApplyEdits checks them on a fresh
// read just before writing. An update whose answer cannot be verified is
// re-read, and reported applied when the zone holds it.
//
// # Reading by names
//
// When the server refuses the zone transfer (REFUSED, NOTAUTH, or an
// answer without the zone's SOA, as Samba gives), or with Read = ReadNames,
// GetRecords queries the apex SOA and NS and, for each name given to
// SetNames (providers.NameReader), the types topo publishes; ReadScope says
// what was read.
//
// # Atomicity
//
// The server applies each UPDATE message atomically (RFC 2136 section 3.7):
// all of it or nothing. ApplyEdits puts every edit of a zone into one UPDATE
// message, so a zone's whole plan is atomic when it fits one message (65,535
// bytes on the wire: some 4,000 address records). A larger plan is split
// into as few messages as fit, in order; each one is atomic, and a failure
// leaves a prefix of the messages applied, which ApplyEdits reports.
// [Provider.Chunks] says how many messages a plan takes before anything is
// sent.
//
// A message whose answer is lost (the connection drops, the timeout
// passes) may have been applied all the same: ApplyEdits counts it as not
// applied. Publishing again then meets its own changes as conflicts, and a
// fresh plan converges.
//
// # Conflicts
//
// Every edit carries prerequisites (RFC 2136 section 2.4) the server checks
// in the same atomic step as the write: an RRset that must not exist yet is
// sent as "RRset does not exist"; an RRset being changed or deleted as
// "RRset exists (value dependent)" with exactly the records that were read.
// When another client changed the RRset since, the server refuses the whole
// message (NXRRSET or YXRRSET) and ApplyEdits returns a
// [providers.ConflictError]. The server compares record data, not TTLs: a
// change of TTL alone by someone else is not detected.
//
// # Records
//
// GetRecords returns every record of the zone, SOA and NS included (as
// [libdns.RR] and [libdns.NS]); a type miekg/dns does not know reads in
// RFC 3597's form (TYPE65300 "\# 4 0a000001") and writes back as it was. TXT records are returned as one string: the
// character-strings of a record are joined, and split again at 255 bytes
// when written, so a TXT record that another client split elsewhere does not
// match its own value in a prerequisite.
package rfc2136
