-- 0002: reference data of the Datong 2020 round (7th batch) and the units
-- that take part: the city, its HR bureau, the 10 counties/districts of the
-- post-2018 map, the development zone, the city departments by system, the
-- non-public channels and the stationed-units holder.  Employing units are
-- added per deployment (`nomdesk unit add`); the demo adds a few.

INSERT INTO round (code, year, batch, title, target, deadline, current)
VALUES ('datong-2020', 2020, 7,
	'2020年度大同市学术技术带头人选拔推荐', 44,
	'2020-12-15T23:59:59+08:00', 1);

INSERT INTO unit (code, name, kind, parent, system) VALUES
	('1402', '大同市', 'city', NULL, ''),
	('1402-hrss', '大同市人力资源和社会保障局', 'bureau', '1402', ''),
	('140212', '新荣区', 'county', '1402', ''),
	('140213', '平城区', 'county', '1402', ''),
	('140214', '云冈区', 'county', '1402', ''),
	('140215', '云州区', 'county', '1402', ''),
	('140221', '阳高县', 'county', '1402', ''),
	('140222', '天镇县', 'county', '1402', ''),
	('140223', '广灵县', 'county', '1402', ''),
	('140224', '灵丘县', 'county', '1402', ''),
	('140225', '浑源县', 'county', '1402', ''),
	('140226', '左云县', 'county', '1402', ''),
	('etdz', '大同经济技术开发区', 'zone', '1402', ''),
	('dept-edu', '大同市教育局', 'department', '1402', '教育'),
	('dept-health', '大同市卫生健康委员会', 'department', '1402', '卫生'),
	('dept-afw', '大同市农业农村局', 'department', '1402', '农林水'),
	('dept-ind', '大同市工业和信息化局', 'department', '1402', '工业'),
	('dept-soc', '大同市社会科学界联合会', 'department', '1402', '社科'),
	('chan-acfic', '大同市工商业联合会', 'channel', '1402', ''),
	('stationed', '驻同单位', 'stationed', '1402', '');
