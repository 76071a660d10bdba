# Every record kind the examples do not already pin: the opt-in SIP domain
# records, CNAME forms of the simple URLs and discovery names, pin-point
# zones, a hardware-balanced Edge pool's VIPs, a Director deployed as one
# server, an Office Online Server farm with an external name of its own.
name    = "kinds"
product = "lync2013"

zone "contoso.com" {
  view = "internal"
}

zone "contoso.com" {
  view = "external"
}

zone "_sipinternaltls._tcp.fabrikam.com" {
  view = "internal"
}

zone "sip.fabrikam.com" {
  view = "internal"
}

zone "lyncdiscoverinternal.fabrikam.com" {
  view = "internal"
}

zone "meet.fabrikam.com" {
  view = "internal"
}

zone "fabrikam.com" {
  view = "external"
}

sip_domain "contoso.com" {
  pool             = "pool.contoso.com"
  edge_pool        = "edge-int.contoso.com"
  reverse_proxy_ip = "203.0.113.80"
  meet             = "https://meet.contoso.com"
  dialin           = "https://dialin.contoso.com"
  admin            = "https://admin.contoso.com"
  xmpp_federation  = true
  sipinternal      = true
  sipexternal      = true
  ucupdates        = true
  ntp_server       = "time.contoso.com"

  cname {
    lyncdiscover         = true
    lyncdiscoverinternal = true
    meet                 = true
    dialin               = true
    admin                = true
    sip                  = true
  }
}

sip_domain "fabrikam.com" {
  pool             = "dir.contoso.com"
  srv_target       = "sip.fabrikam.com"
  edge_pool        = "edge-int.contoso.com"
  reverse_proxy_ip = "203.0.113.80"
  meet             = "https://meet.fabrikam.com"
}

site "s" {
  pool "pool" {
    fqdn = "pool.contoso.com"

    web_services {
      internal_fqdn     = "web-int.contoso.com"
      internal_vip      = "10.0.0.100"
      external_fqdn     = "web-ext.contoso.com"
      external_proxy_ip = "203.0.113.80"
      external_vip      = "10.0.0.120"
    }

    server "fe01" {
      fqdn = "fe01.contoso.com"
      ip   = "10.0.0.11"
    }

    server "fe02" {
      fqdn = "fe02.contoso.com"
      ip   = "2001:db8::12"
    }

    server "fe03" {
      fqdn = "fe03.contoso.com"
      ip   = "10.0.0.13"
    }
  }

  pool "dir" {
    role = "director"
    fqdn = "dir.contoso.com"

    server "dir" {
      ip = "10.0.1.10"
    }
  }

  pool "edge" {
    role           = "edge"
    fqdn           = "edge-int.contoso.com"
    load_balancing = "hardware"
    vip            = "172.25.33.100"

    edge {
      external_load_balancing = "hardware"
      access_fqdn             = "access.contoso.com"
      webconf_fqdn            = "webcon.contoso.com"
      av_fqdn                 = "av.contoso.com"
      access_vip              = "131.107.155.100"
      webconf_vip             = "131.107.155.101"
      av_vip                  = "2001:db8:155::102"
    }

    server "edge01" {
      fqdn = "edge01.contoso.com"
      ip   = "172.25.33.10"

      edge {
        access_ip  = "131.107.155.10"
        webconf_ip = "131.107.155.20"
        av_ip      = "131.107.155.30"
      }
    }

    server "edge02" {
      fqdn = "edge02.contoso.com"
      ip   = "172.25.33.11"

      edge {
        access_ip  = "131.107.155.11"
        webconf_ip = "131.107.155.21"
        av_ip      = "131.107.155.31"
      }
    }
  }

  office_online_server "owa" {
    fqdn              = "owa-int.contoso.com"
    vip               = "10.0.2.5"
    external_fqdn     = "owa.contoso.com"
    external_proxy_ip = "203.0.113.81"
    ttl               = 600
  }
}
