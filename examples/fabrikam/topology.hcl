# Fabrikam: Skype for Business Server 2019 in one site, with the records the
# rest of the deployment uses (sip_domain), an Edge pool and a pool still on
# a hardware load balancer because of its older clients.
name    = "fabrikam"
product = "sfb2019"

zone "fabrikam.com" {
  view = "internal"
  ttl  = 300
}

zone "fabrikam.com" {
  view = "external"
  ttl  = 3600
}

sip_domain "fabrikam.com" {
  pool             = "pool01.fabrikam.com"
  access_edge_ip   = "198.51.100.10"
  reverse_proxy_ip = "198.51.100.20"
  meet             = "https://meet.fabrikam.com"
  dialin           = "https://dialin.fabrikam.com"
  admin            = "https://admin.fabrikam.com"
}

site "amsterdam" {
  pool "pool01" {
    fqdn = "pool01.fabrikam.com"
    ttl  = 60 # fail over and drain within a minute

    clients {
      legacy_clients = "none"
      legacy_servers = "none"
      exchange_um    = "2010sp1"
    }

    web_services {
      internal_fqdn     = "web-int.fabrikam.com"
      internal_vip      = "10.10.0.100"
      external_fqdn     = "web-ext.fabrikam.com"
      external_proxy_ip = "198.51.100.30"
    }

    server "fe01" {
      fqdn = "ams-fe01.fabrikam.com"
      ip   = "10.10.0.11"
    }

    server "fe02" {
      fqdn = "ams-fe02.fabrikam.com"
      ip   = "10.10.0.12"
    }

    server "fe03" {
      fqdn = "ams-fe03.fabrikam.com"
      ip   = "10.10.0.13"
    }

    server "fe04" {
      fqdn  = "ams-fe04.fabrikam.com"
      ip    = "2001:db8:10::14"
      state = "offline" # hardware fault: out of DNS entirely
    }
  }

  # Still serving users on older clients: a hardware load balancer, as the
  # decision guideline recommends.
  pool "legacy" {
    fqdn           = "legacy.fabrikam.com"
    load_balancing = "hardware"
    vip            = "10.10.1.100"

    clients {
      legacy_clients = "many"
    }

    server "fe01" {
      fqdn = "ams-leg01.fabrikam.com"
      ip   = "10.10.1.11"
    }

    server "fe02" {
      fqdn = "ams-leg02.fabrikam.com"
      ip   = "10.10.1.12"
    }

    server "fe03" {
      fqdn = "ams-leg03.fabrikam.com"
      ip   = "10.10.1.13"
    }
  }

  pool "edge" {
    role = "edge"
    fqdn = "edge-int.fabrikam.com"

    edge {
      federation_legacy       = false
      public_im               = false
      external_load_balancing = "dns"
    }

    server "edge01" {
      fqdn = "ams-edge01.fabrikam.com"
      ip   = "10.10.2.11"
    }

    server "edge02" {
      fqdn = "ams-edge02.fabrikam.com"
      ip   = "10.10.2.12"
    }
  }
}
