//! The camera through the generated typed client (in process, SOAP 1.2 on both sides): the
//! three implemented operations answer their values, any other answers `NotImplemented`.

use onvif_server_example::generated::{DeviceClient, schema, wsdl};
use onvif_server_example::{Camera, DEVICE_NS, app};
use rpclib_core::InProcess;

fn client() -> DeviceClient<InProcess> {
    let camera = Camera {
        base_url: "http://192.0.2.1:8080/".into(),
    };
    DeviceClient::new(InProcess::new(
        app(camera).expect("the device service registers"),
    ))
}

#[tokio::test]
async fn the_implemented_operations_answer() {
    let c = client();
    let (manufacturer, model, _firmware, serial, _hardware) = c
        .get_device_information()
        .await
        .expect("device information");
    assert_eq!(
        (manufacturer.as_str(), model.as_str()),
        ("rpclib", "Example Camera")
    );
    assert_eq!(serial, "RPCLIB-0001");

    let time = c.get_system_date_and_time().await.expect("date and time");
    assert_eq!(time.date_time_type, schema::SetDateTimeType::Manual);
    let utc = time.utc_date_time.expect("UTC time");
    assert!(utc.date.year >= 2024, "{utc:?}");
    assert!((1..=12).contains(&utc.date.month) && (0..24).contains(&utc.time.hour));

    let services = c
        .get_services(wsdl::GetServices {
            include_capability: false,
        })
        .await
        .expect("services");
    let device = &services.service[0];
    assert_eq!(device.namespace.as_str(), DEVICE_NS);
    assert_eq!(
        device.x_addr.as_str(),
        "http://192.0.2.1:8080/onvif/device_service"
    );
}

#[tokio::test]
async fn other_operations_answer_not_implemented() {
    let e = client().get_hostname().await.expect_err("not implemented");
    let text = e.to_string();
    assert!(text.contains("NotImplemented"), "{text}");
    assert!(text.contains("`GetHostname`"), "{text}");
}
