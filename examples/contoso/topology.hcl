# Contoso's Skype for Business Server 2015 deployment: two sites, DNS load
# balancing for SIP, hardware load balancers for web services.
name    = "contoso"
product = "sfb2015"

# Internal names: published as zone files next to this file (zones/), the
# embedded default provider.
zone "contoso.com" {
  view = "internal"
  ttl  = 300
}

# Public names: also zone files here; point provider at "cloudflare.public"
# or another provider block to publish them for real.
zone "contoso.com" {
  view = "external"
  ttl  = 300
}

site "redmond" {
  pool "pool01" {
    role           = "frontend"
    fqdn           = "pool01.contoso.com"
    load_balancing = "dns"

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

    server "fe04" {
      fqdn = "fe04.contoso.com"
      ip   = "10.0.1.14"
    }

    server "fe05" {
      fqdn = "fe05.contoso.com"
      ip   = "10.0.1.15"
    }

    server "fe06" {
      fqdn = "fe06.contoso.com"
      ip   = "10.0.1.16"
    }

    server "fe07" {
      fqdn = "fe07.contoso.com"
      ip   = "10.0.1.17"
    }

    server "fe08" {
      fqdn = "fe08.contoso.com"
      ip   = "10.0.1.18"
    }

    server "fe09" {
      fqdn = "fe09.contoso.com"
      ip   = "10.0.1.19"
    }

    server "fe10" {
      fqdn = "fe10.contoso.com"
      ip   = "10.0.1.20"
    }

    server "fe11" {
      fqdn = "fe11.contoso.com"
      ip   = "10.0.1.21"
    }

    server "fe12" {
      fqdn  = "fe12.contoso.com"
      ip    = "10.0.1.22"
      state = "draining" # patching: leaves pool01.contoso.com, keeps its own name
    }
  }

  pool "dir01" {
    role           = "director"
    fqdn           = "dir01.contoso.com"
    load_balancing = "dns"

    web_services {
      internal_fqdn     = "webdir01.contoso.com"
      internal_vip      = "10.0.1.200"
      external_fqdn     = "webextdir.contoso.com"
      external_proxy_ip = "203.0.113.20"
    }

    server "dir01" {
      fqdn = "dir01-srv.contoso.com"
      ip   = "10.0.1.211"
    }

    server "dir02" {
      fqdn = "dir02-srv.contoso.com"
      ip   = "10.0.1.212"
    }
  }
}

site "dublin" {
  pool "pool02" {
    fqdn = "pool02.contoso.com"

    web_services {
      internal_fqdn     = "webint02.contoso.com"
      internal_vip      = "10.0.2.100"
      external_fqdn     = "webext02.contoso.com"
      external_proxy_ip = "203.0.113.30"
    }

    server "fe01" {
      fqdn = "dub-fe01.contoso.com"
      ip   = "10.0.2.11"
    }

    server "fe02" {
      fqdn = "dub-fe02.contoso.com"
      ip   = "10.0.2.12"
    }

    server "fe03" {
      fqdn = "dub-fe03.contoso.com"
      ip   = "10.0.2.13"
    }
  }
}
