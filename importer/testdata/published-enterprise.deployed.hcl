# The deployment published-enterprise.xml describes, as it runs: with the
# addresses the file gives as 0.0.0.0 or not at all, the load balancers'
# addresses, the Mediation pool behind a hardware load balancer, pool02's
# web services override (the file has none), dub-fe01 offline, and the
# second SIP domain fabrikam.com, served by pool01 through a matching
# internal zone (its SRV at sip.fabrikam.com). Tests
# publish it, delete topo's ownership markers (as if every record had been
# typed by hand), and import the file back with --dns.
name    = "contoso"
product = "sfb2015"

zone "contoso.com" {
  view = "internal"
}

zone "contoso.com" {
  view = "external"
}

zone "fabrikam.com" {
  view = "internal"
}

site "redmond" {
  pool "pool01" {
    fqdn = "pool01.contoso.com"

    web_services {
      internal_fqdn     = "webint01.contoso.com"
      internal_vip      = "10.0.1.100"
      external_fqdn     = "webext01.contoso.com"
      external_proxy_ip = "203.0.113.10"
    }

    server "fe01" {
      fqdn = "fe01.contoso.com"
      ip   = "10.0.1.11"
    }

    server "fe02" {
      fqdn = "fe02.contoso.com"
      ip   = "10.0.1.12"
    }

    server "fe03" {
      fqdn = "fe03.contoso.com"
      ip   = "10.0.1.13"
    }
  }

  pool "dir01" {
    role = "director"
    fqdn = "dir01.contoso.com"

    web_services {
      internal_fqdn     = "webdir01.contoso.com"
      internal_vip      = "10.0.1.200"
      external_fqdn     = "webextdir.contoso.com"
      external_proxy_ip = "203.0.113.20"
    }

    server "dir01-srv" {
      fqdn = "dir01-srv.contoso.com"
      ip   = "10.0.1.211"
    }

    server "dir02-srv" {
      fqdn = "dir02-srv.contoso.com"
      ip   = "10.0.1.212"
    }
  }

  pool "med01" {
    role           = "mediation"
    fqdn           = "med01.contoso.com"
    load_balancing = "hardware"
    vip            = "10.0.1.30"

    server "med01-a" {
      fqdn = "med01-a.contoso.com"
      ip   = "10.0.1.31"
    }

    server "med01-b" {
      fqdn = "med01-b.contoso.com"
      ip   = "10.0.1.32"
    }
  }
}

site "dublin-campus" {
  pool "pool02" {
    fqdn = "pool02.contoso.com"

    web_services {
      internal_fqdn     = "webint02.contoso.com"
      internal_vip      = "10.0.2.100"
      external_fqdn     = "webext02.contoso.com"
      external_proxy_ip = "203.0.113.30"
    }

    server "dub-fe01" {
      fqdn  = "dub-fe01.contoso.com"
      ip    = "10.0.2.11"
      state = "offline"
    }

    server "dub-fe02" {
      fqdn = "dub-fe02.contoso.com"
      ip   = "10.0.2.12"
    }

    server "dub-fe03" {
      fqdn = "dub-fe03.contoso.com"
      ip   = "10.0.2.13"
    }
  }
}

sip_domain "contoso.com" {
  pool             = "pool01.contoso.com"
  access_edge_ip   = "198.51.100.10"
  reverse_proxy_ip = "198.51.100.20"
  meet             = "https://meet.contoso.com"
  dialin           = "https://dialin.contoso.com"
  admin            = "https://admin.contoso.com"
}

sip_domain "fabrikam.com" {
  pool       = "pool01.contoso.com"
  srv_target = "sip.fabrikam.com"
  meet       = "https://meet.fabrikam.com"
}
