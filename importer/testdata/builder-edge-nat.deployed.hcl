# The deployment builder-edge-nat.tbxml describes, as it runs: with the
# load balancers' addresses the document does not hold (the web services'
# and the Office Online Server farm's, inside and outside), the Edge pool's
# three external services behind NAT, and fe03 draining.
# Tests publish it, delete topo's ownership markers (as if every record had
# been typed by hand), and import the document back with --dns.
name    = "contoso"
product = "sfb2019"

zone "contoso.com" {
  view = "internal"
}

zone "contoso.com" {
  view = "external"
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
      fqdn  = "fe03.contoso.com"
      ip    = "10.0.1.13"
      state = "draining"
    }
  }

  pool "edge01" {
    role = "edge"
    fqdn = "edge01.contoso.com"

    edge {
      access_fqdn  = "sip.contoso.com"
      webconf_fqdn = "webcon.contoso.com"
      av_fqdn      = "av.contoso.com"
    }

    server "edge01a" {
      fqdn = "edge01a.contoso.com"
      ip   = "172.16.0.11"

      edge {
        access_ip         = "10.20.0.11"
        access_public_ip  = "203.0.113.11"
        webconf_ip        = "10.20.0.21"
        webconf_public_ip = "203.0.113.21"
        av_ip             = "10.20.0.31"
        av_public_ip      = "203.0.113.31"
      }
    }

    server "edge01b" {
      fqdn = "edge01b.contoso.com"
      ip   = "172.16.0.12"

      edge {
        access_ip         = "10.20.0.12"
        access_public_ip  = "203.0.113.12"
        webconf_ip        = "10.20.0.22"
        webconf_public_ip = "203.0.113.22"
        av_ip             = "10.20.0.32"
        av_public_ip      = "203.0.113.32"
      }
    }
  }

  office_online_server "oos" {
    fqdn              = "oos.contoso.com"
    vip               = "10.0.1.50"
    external_proxy_ip = "203.0.113.50"
  }
}

sip_domain "contoso.com" {
  pool      = "pool01.contoso.com"
  edge_pool = "edge01.contoso.com"
  meet      = "https://meet.contoso.com"
  dialin    = "https://dialin.contoso.com"
}
