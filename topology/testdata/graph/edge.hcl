# Edge pools drawn with their external interfaces: one balanced by DNS with
# three services behind NAT, one behind hardware load balancers with one
# VIP per service.
name    = "edge"
product = "sfb2015"

zone "contoso.com" {
  view = "internal"
}

zone "contoso.com" {
  view = "external"
}

site "perimeter" {
  pool "dns" {
    role = "edge"
    fqdn = "edgepool-int.contoso.com"

    edge {
      access_fqdn  = "sip.contoso.com"
      webconf_fqdn = "webcon.contoso.com"
      av_fqdn      = "av.contoso.com"
    }

    server "cons-1" {
      fqdn = "cons-1.contoso.com"
      ip   = "172.25.33.10"

      edge {
        access_ip         = "10.45.16.10"
        access_public_ip  = "131.107.155.10"
        webconf_ip        = "10.45.16.20"
        webconf_public_ip = "131.107.155.20"
        av_ip             = "10.45.16.30"
        av_public_ip      = "131.107.155.30"
      }
    }

    server "cons-2" {
      fqdn  = "cons-2.contoso.com"
      ip    = "172.25.33.11"
      state = "draining"

      edge {
        access_ip         = "10.45.16.11"
        access_public_ip  = "131.107.155.11"
        webconf_ip        = "10.45.16.21"
        webconf_public_ip = "131.107.155.21"
        av_ip             = "10.45.16.31"
        av_public_ip      = "131.107.155.31"
      }
    }
  }

  pool "hlb" {
    role           = "edge"
    fqdn           = "edgehlb-int.contoso.com"
    load_balancing = "hardware"
    vip            = "172.25.34.100"

    edge {
      external_load_balancing = "hardware"
      access_fqdn             = "access2.contoso.com"
      webconf_fqdn            = "webcon2.contoso.com"
      av_fqdn                 = "av2.contoso.com"
      access_vip              = "131.107.156.10"
      webconf_vip             = "131.107.156.20"
      av_vip                  = "131.107.156.30"
    }

    server "hlb-1" {
      fqdn = "hlb-1.contoso.com"
      ip   = "172.25.34.10"

      edge {
        access_ip  = "131.107.156.11"
        webconf_ip = "131.107.156.21"
        av_ip      = "131.107.156.31"
      }
    }

    server "hlb-2" {
      fqdn = "hlb-2.contoso.com"
      ip   = "172.25.34.11"

      edge {
        access_ip  = "131.107.156.12"
        webconf_ip = "131.107.156.22"
        av_ip      = "131.107.156.32"
      }
    }
  }
}
