# Every way a node can look: servers active, draining and offline, a pool
# behind a hardware load balancer, an IPv6 server, a zone serving both views,
# and names that need escaping in Mermaid and DOT.
name    = "fabrikam"
product = "sfb2019"

zone "fabrikam.com" {
  view = "both"
}

zone "edge.fabrikam.com" {
  view = "external"
}

site "hq \"main\" <#1> & co" {
  pool "pool-a" {
    fqdn = "pool-a.fabrikam.com"

    web_services {
      internal_fqdn     = "web-a.fabrikam.com"
      internal_vip      = "10.1.0.100"
      external_fqdn     = "web.edge.fabrikam.com"
      external_proxy_ip = "198.51.100.10"
    }

    server "fe-1" {
      fqdn = "fe-1.fabrikam.com"
      ip   = "10.1.0.11"
    }

    server "fe-2" {
      fqdn = "fe-2.fabrikam.com"
      ip   = "2001:db8::12"
    }

    server "fe-3" {
      fqdn  = "fe-3.fabrikam.com"
      ip    = "10.1.0.13"
      state = "draining"
    }

    server "fe-4" {
      fqdn  = "fe-4.fabrikam.com"
      ip    = "10.1.0.14"
      state = "offline"
    }

    server "fe-5" {
      fqdn = "fe-5.fabrikam.com"
      ip   = "10.1.0.15"
    }
  }
}

site "branch" {
  pool "med" {
    role           = "mediation"
    fqdn           = "med.fabrikam.com"
    load_balancing = "hardware"
    vip            = "10.2.0.50"

    server "med1" {
      fqdn = "med1.fabrikam.com"
      ip   = "10.2.0.51"
    }

    server "med2" {
      fqdn  = "med2.fabrikam.com"
      ip    = "10.2.0.52"
      state = "offline"
    }
  }
}
