//! An ONVIF-style device server: the `Device` server trait is generated at build time from
//! ONVIF's `devicemgmt.wsdl` (see `build.rs`), and [`Camera`] implements three of its
//! operations: `GetDeviceInformation`, `GetSystemDateAndTime` and `GetServices`. Every other
//! operation keeps the body the generator provides (`Builder::default_stubs`), which answers
//! a `Server.NotImplemented` fault.
//!
//! [`app`] serves the trait with SOAP 1.2, the binding's version; [`endpoints`] mounts it at
//! [`DEVICE_PATH`], where ONVIF clients look for the device service. A client built from the
//! original WSDL (zeep, `cargo xtask codegen`) calls it there.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rpclib_core::model::{AnyAttributes, AnyUri, Token};
use rpclib_core::{Application, ConfigError, Fault};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::Soap12;

/// The code generated from `devicemgmt.wsdl`: the modules `schema` (ONVIF's `tt` types),
/// `wsdl` (the device service's `tds` elements), ... and the `Device` trait with
/// `DeviceClient` and `DeviceService`.
// Generated from a third-party contract: its shapes (103 operations, long parameter lists)
// are the WSDL's, not style choices of this crate.
#[allow(missing_docs, clippy::all)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/devicemgmt.rs"));
}

use generated::{Device, schema, wsdl};

/// The namespace of the device service (`tds`).
pub const DEVICE_NS: &str = "http://www.onvif.org/ver10/device/wsdl";

/// The path of the device service, as ONVIF devices publish it.
pub const DEVICE_PATH: &str = "/onvif/device_service";

/// A camera that answers who it is, what time it is and where its services are.
#[derive(Debug, Clone)]
pub struct Camera {
    /// The base address clients reach the server at (`http://127.0.0.1:8080`), for the
    /// services' `XAddr`.
    pub base_url: String,
}

impl Camera {
    fn address(&self, path: &str) -> Result<AnyUri, Fault> {
        AnyUri::new(format!("{}{path}", self.base_url.trim_end_matches('/')))
            .map_err(|e| Fault::server(format!("the configured base address is invalid: {e}")))
    }
}

impl Device for Camera {
    async fn get_device_information(
        &self,
    ) -> Result<(String, String, String, String, String), Fault> {
        Ok((
            "rpclib".into(),
            "Example Camera".into(),
            env!("CARGO_PKG_VERSION").into(),
            "RPCLIB-0001".into(),
            "rpclib-onvif-example".into(),
        ))
    }

    async fn get_system_date_and_time(&self) -> Result<schema::SystemDateTime, Fault> {
        let now = utc_now();
        Ok(schema::SystemDateTime {
            date_time_type: schema::SetDateTimeType::Manual,
            daylight_savings: false,
            time_zone: Some(schema::TimeZone {
                tz: Token::new("UTC0").map_err(|e| Fault::server(e.to_string()))?,
            }),
            utc_date_time: Some(now.clone()),
            local_date_time: Some(now),
            extension: None,
            // `tt:SystemDateTime` allows attributes of other namespaces (`xs:anyAttribute`).
            any_attributes: AnyAttributes::new(),
        })
    }

    async fn get_services(
        &self,
        body: wsdl::GetServices,
    ) -> Result<wsdl::GetServicesResponse, Fault> {
        // The capabilities are untyped (`xs:any`): they are left out even when asked for,
        // which the schema allows (`minOccurs="0"`).
        let _ = body.include_capability;
        Ok(wsdl::GetServicesResponse {
            service: vec![wsdl::Service {
                namespace: AnyUri::new(DEVICE_NS).map_err(|e| Fault::server(e.to_string()))?,
                x_addr: self.address(DEVICE_PATH)?,
                capabilities: None,
                version: schema::OnvifVersion {
                    major: 2,
                    minor: 60,
                },
                any: Vec::new(),
                any_attributes: AnyAttributes::new(),
            }],
        })
    }
}

/// The server application: [`Camera`] as the `Device` service, SOAP 1.2, WSDL 1.1.
pub fn app(camera: Camera) -> Result<Arc<Application>, ConfigError> {
    Application::builder("Device", DEVICE_NS)
        .service(camera.into_service())
        .protocol(Soap12::new())
        .interface(Wsdl11::new())
        .build()
}

/// The HTTP endpoints: the application at [`DEVICE_PATH`].
pub fn endpoints(
    camera: Camera,
) -> Result<rpclib_transport_http::Endpoints, Box<dyn std::error::Error + Send + Sync>> {
    let service = rpclib_transport_http::RpcService::new(app(camera)?);
    Ok(rpclib_transport_http::Endpoints::new().mount(DEVICE_PATH, service)?)
}

/// The current time, UTC, as ONVIF's `tt:DateTime`.
fn utc_now() -> schema::DateTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    let of_day = secs % 86_400;
    // Each part is below 60, 24 or 32, and the year below 2^31 for any clock this runs on.
    let small = |v: u64| i32::try_from(v).unwrap_or(0);
    schema::DateTime {
        time: schema::Time {
            hour: small(of_day / 3600),
            minute: small(of_day % 3600 / 60),
            second: small(of_day % 60),
        },
        date: schema::Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: small(month),
            day: small(day),
        },
    }
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u64, u64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u64::try_from(month).unwrap_or(1),
        u64::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_819), (2027, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
