# Northwind: Skype for Business Server 2019 with two SIP domains, two
# paired Enterprise Edition pools, a Standard Edition server in a branch
# site, and a DNS-load-balanced Edge pool behind NAT.
#
# northwind.com is the pools' own DNS domain. northwindtraders.com, the
# second SIP domain, follows Microsoft's matching internal zone pattern
# (advanced-edge-server-dns.md): an internal northwindtraders.com zone
# with an A record for the pool inside the SIP domain,
# pool01.northwindtraders.com, which the automatic sign-in SRV points at.
# (The other pattern, pin-point zones, is srv_target =
# "sip.northwindtraders.com" with zones "_sipinternaltls._tcp.<domain>" and
# "sip.<domain>" of their own.) Outside, its public zone points at the same
# Edge and reverse proxy.
name    = "northwind"
product = "sfb2019"

zone "northwind.com" {
  view = "internal"
}

zone "northwind.com" {
  view = "external"
}

zone "northwindtraders.com" {
  view = "internal"
}

zone "northwindtraders.com" {
  view = "external"
}

sip_domain "northwind.com" {
  pool             = "pool01.northwind.com"
  edge_pool        = "edge-int.northwind.com"
  reverse_proxy_ip = "203.0.113.80"

  # Simple URLs (simple-urls.md option 3): one host for all, a Meet URL
  # for each SIP domain, one Dial-in and one Admin for the organisation.
  meet   = "https://lync.northwind.com/northwind/meet"
  dialin = "https://lync.northwind.com/dialin"
  admin  = "https://lync.northwind.com/admin"

  # lyncdiscover through the external web services name (pool pairing
  # moves that name, not the discovery record).
  cname {
    lyncdiscover = true
  }
}

sip_domain "northwindtraders.com" {
  pool             = "pool01.northwind.com"
  srv_target       = "pool01.northwindtraders.com"
  edge_pool        = "edge-int.northwind.com"
  reverse_proxy_ip = "203.0.113.80"
  meet             = "https://lync.northwind.com/northwindtraders/meet"
}

site "seattle" {
  pool "pool01" {
    fqdn        = "pool01.northwind.com"
    backup_pool = "pool02.northwind.com" # disaster recovery pair in denver

    web_services {
      internal_fqdn     = "web-int01.northwind.com"
      internal_vip      = "10.20.0.100"
      external_fqdn     = "web-ext01.northwind.com"
      external_proxy_ip = "203.0.113.80"
    }

    server "fe01" {
      fqdn = "sea-fe01.northwind.com"
      ip   = "10.20.0.11"
    }

    server "fe02" {
      fqdn = "sea-fe02.northwind.com"
      ip   = "10.20.0.12"
    }

    server "fe03" {
      fqdn = "sea-fe03.northwind.com"
      ip   = "10.20.0.13"
    }
  }

  pool "edge" {
    role = "edge"
    fqdn = "edge-int.northwind.com"

    edge {
      external_load_balancing = "dns"
      access_fqdn             = "sip.northwind.com"
      webconf_fqdn            = "webcon.northwind.com"
      av_fqdn                 = "av.northwind.com"
    }

    server "edge01" {
      fqdn = "sea-edge01.northwind.com"
      ip   = "172.20.33.10"

      edge {
        access_ip         = "10.45.20.10"
        access_public_ip  = "203.0.113.10"
        webconf_ip        = "10.45.20.20"
        webconf_public_ip = "203.0.113.20"
        av_ip             = "10.45.20.30"
        av_public_ip      = "203.0.113.30"
      }
    }

    server "edge02" {
      fqdn = "sea-edge02.northwind.com"
      ip   = "172.20.33.11"

      edge {
        access_ip         = "10.45.20.11"
        access_public_ip  = "203.0.113.11"
        webconf_ip        = "10.45.20.21"
        webconf_public_ip = "203.0.113.21"
        av_ip             = "10.45.20.31"
        av_public_ip      = "203.0.113.31"
      }
    }
  }
}

site "denver" {
  pool "pool02" {
    fqdn = "pool02.northwind.com"

    web_services {
      internal_fqdn     = "web-int02.northwind.com"
      internal_vip      = "10.30.0.100"
      external_fqdn     = "web-ext02.northwind.com"
      external_proxy_ip = "203.0.113.81"
    }

    server "fe01" {
      fqdn = "den-fe01.northwind.com"
      ip   = "10.30.0.11"
    }

    server "fe02" {
      fqdn = "den-fe02.northwind.com"
      ip   = "10.30.0.12"
    }

    server "fe03" {
      fqdn = "den-fe03.northwind.com"
      ip   = "10.30.0.13"
    }
  }
}

# A branch office: one Standard Edition server, its own pool. Its FQDN is
# the pool's; its web services answer on its own address.
site "portland" {
  pool "se01" {
    edition = "standard"
    fqdn    = "pdx-se01.northwind.com"

    web_services {
      external_fqdn     = "pdx-web.northwind.com"
      external_proxy_ip = "203.0.113.82"
    }

    server "se01" {
      ip = "10.40.0.10"
    }
  }
}
