package enginetest

import "strings"

// SmallPool is a topology of one pool of three servers with its web
// services override in zone: ten record sets (with their ownership
// markers) to create on an empty zone, written in one request by every
// provider. The outcome tests of each provider break that request.
func SmallPool(zone string) string {
	return strings.ReplaceAll(`name = "truth"
zone "ZONE" {
  ttl = 300
}
site "s" {
  pool "p" {
    fqdn = "pool.ZONE"
    web_services {
      internal_fqdn = "web.ZONE"
      internal_vip  = "10.0.0.100"
    }
    server "a" {
      fqdn = "a.ZONE"
      ip   = "10.0.0.1"
    }
    server "b" {
      fqdn = "b.ZONE"
      ip   = "10.0.0.2"
    }
    server "c" {
      fqdn = "c.ZONE"
      ip   = "10.0.0.3"
    }
  }
}
`, "ZONE", zone)
}

// VerifyTopology publishes every record type topo writes (A and AAAA, a
// CNAME and an SRV from its SIP domain, the ownership TXT records of a
// shared zone) in zone example.test, with a draining and an offline
// server: what the verify tests check answers against.
const VerifyTopology = `name = "v"

zone "example.test" {
  view = "internal"
}

sip_domain "example.test" {
  pool = "pool.example.test"
  cname {
    lyncdiscoverinternal = true
  }
}

site "s" {
  pool "p" {
    fqdn = "pool.example.test"
    web_services {
      internal_fqdn = "web.example.test"
      internal_vip  = "10.0.0.100"
    }
    server "a" {
      fqdn = "a.example.test"
      ip   = "10.0.0.1"
    }
    server "b" {
      fqdn  = "b.example.test"
      ip    = "10.0.0.2"
      state = "draining"
    }
    server "c" {
      fqdn  = "c.example.test"
      ip    = "2001:db8::3"
      state = "offline"
    }
    server "e" {
      fqdn = "e.example.test"
      ip   = "10.0.0.5"
    }
  }
}
`
